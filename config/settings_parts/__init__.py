"""The settings of config.settings, a module for each concern that reads its own environment
variables; config.settings gathers them."""
