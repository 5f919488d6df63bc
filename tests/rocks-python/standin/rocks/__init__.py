# Stand-in of Rocks' `rocks` package (tests only).
