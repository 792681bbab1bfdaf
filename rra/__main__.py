from rra.cli import main

raise SystemExit(main())
