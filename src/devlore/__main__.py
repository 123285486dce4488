from devlore.cli import main

raise SystemExit(main())
