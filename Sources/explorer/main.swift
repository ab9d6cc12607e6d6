print("explorer: under construction")
