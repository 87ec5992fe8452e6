"""Everything a person touches: the packer screen, supervisor screens, the `packgate` command line, and the
composition root (`ui.bootstrap`) that wires storage, devices and sync together."""
