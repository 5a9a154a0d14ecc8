"""The pipeline's assets, built for a given partitions definition."""
