from peerfind.cli import main

raise SystemExit(main())
