"""Parquet files on any fsspec store: one file per asset partition, written atomically."""

import uuid

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from dagster import (
    AssetKey,
    ConfigurableIOManagerFactory,
    InputContext,
    MetadataValue,
    OutputContext,
    UPathIOManager,
)
from pydantic import Field
from upath import UPath

from contactship_pipeline.metadata import column_schema
from contactship_pipeline.schema import TABLE_SCHEMAS

# Object stores have no folders: "making" one there would create a missing bucket from a typo.
OBJECT_STORES = frozenset({"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss"})


class SchemaMismatchError(ValueError):
    """A frame about to be written does not have its table's published columns."""


class StorageLocationError(OSError):
    """The data location cannot be written: a missing bucket, folder or permission."""


def frame_to_table(frame: pd.DataFrame, schema: pa.Schema | None) -> pa.Table:
    """Convert a frame to Arrow, holding it to the published schema when there is one."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if schema is None:
        return table
    if table.column_names != schema.names:
        raise SchemaMismatchError(
            f"columns {table.column_names} differ from the published {schema.names}"
        )
    return table.cast(schema)


def read_frame(path: UPath) -> pd.DataFrame:
    """Read one Parquet file into pandas with Arrow-backed columns, types kept exactly."""
    with path.open("rb") as file:
        return pq.read_table(file).to_pandas(types_mapper=pd.ArrowDtype)


class ParquetUPathIOManager(UPathIOManager):
    """Writes `<base>/<asset key>/<partition>.parquet` through a temporary name and a rename.

    Readers never see a half-written file: the data lands under a hidden name (ignored by
    pyarrow, pandas and a DuckDB `*.parquet` glob) and replaces the old file only once complete.
    """

    extension = ".parquet"

    def make_directory(self, path: UPath) -> None:
        if path.protocol not in OBJECT_STORES:
            super().make_directory(path)

    def dump_to_path(self, context: OutputContext, obj: pd.DataFrame, path: UPath) -> None:
        key = "/".join(context.asset_key.path) if context.has_asset_key else None
        table = frame_to_table(obj, TABLE_SCHEMAS.get(key))
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            with temporary.open("wb") as file:
                pq.write_table(table, file, compression="zstd")
            temporary.rename(path)
        except (FileNotFoundError, PermissionError) as error:
            raise StorageLocationError(
                f"cannot write {path}: {error}. Check CONTACTSHIP_DATA_DIR: the folder must be "
                "writable, and on an object store the bucket must exist and allow writing."
            ) from error
        finally:
            if temporary.exists():
                temporary.unlink()

    def load_from_path(self, context: InputContext, path: UPath) -> pd.DataFrame:
        return read_frame(path)

    def get_metadata(self, context: OutputContext, obj: pd.DataFrame) -> dict:
        """Rows and columns of the file just written, shown on each partition in the UI."""
        key = "/".join(context.asset_key.path) if context.has_asset_key else None
        schema = TABLE_SCHEMAS.get(key)
        metadata = {"dagster/row_count": MetadataValue.int(len(obj))}
        if schema is not None:
            metadata["dagster/column_schema"] = column_schema(schema)
        return metadata

    def partition_path(self, asset_key: AssetKey, partition_key: str) -> UPath:
        """The file `handle_output` writes for one asset partition, from the same pieces."""
        folder = self._base_path.joinpath(*asset_key.path)
        return self._with_extension(self.make_safe_partition_path(folder, partition_key))


class ParquetIOManager(ConfigurableIOManagerFactory):
    """Where the pipeline's tables live: a local folder or any fsspec URL (`s3://bucket/prefix`)."""

    base_path: str = Field(description="Folder or fsspec URL under which tables are written.")

    def create_io_manager(self, context) -> ParquetUPathIOManager:
        return ParquetUPathIOManager(base_path=UPath(self.base_path))
