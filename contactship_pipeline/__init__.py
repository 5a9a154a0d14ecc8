"""Daily Contactship call data into Parquet, orchestrated by Dagster."""
