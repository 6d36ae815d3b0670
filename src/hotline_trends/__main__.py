from hotline_trends.cli import main

raise SystemExit(main())
