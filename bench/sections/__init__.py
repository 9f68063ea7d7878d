"""The benchmark's sections, in the order they run; each is `run(options, fleet) -> Result`."""
