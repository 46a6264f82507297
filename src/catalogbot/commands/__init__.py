"""The command line's pieces: option tables, output files and one runner per command.

``catalogbot.cli`` builds the parser from these and turns failures into exit codes.
"""
