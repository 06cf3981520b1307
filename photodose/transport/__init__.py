"""Light transport in layered tissue: Monte Carlo kernel, fast model, MCML .mci/.mco and JSON I/O."""
