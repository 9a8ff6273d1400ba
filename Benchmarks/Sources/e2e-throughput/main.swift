print("e2e-throughput: not built yet")
