"""One module per `rra` subcommand: each has add_arguments(parser) and run(args) -> exit status."""
