"""``python -m kompass_core.cli``."""

from kompass_core.cli.main import main

raise SystemExit(main())
