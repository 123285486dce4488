from devlore.entry import main

raise SystemExit(main())
