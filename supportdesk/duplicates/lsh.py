"""Random-hyperplane LSH for cosine similarity, as integer band codes a btree can index.

Each of BANDS bands hashes a vector to BITS sign bits (one per random hyperplane through
the origin) packed into one integer; each band is an indexed column. Two vectors at angle θ
agree on a bit with probability 1 - θ/π, so near vectors share a band code far more often
than unrelated ones. At our duplicate threshold (cosine ≈ 0.6) one exact-match band
is too weak, so queries are multi-probe (Lv et al., 2007): per band, the query's code and
the codes with up to MAX_FLIPS of its PROBE_BITS least certain bits flipped (projections
nearest zero are the bits a near neighbour most likely disagrees on). bench/duplicates.py
chose the numbers; docs/duplicates.md has the recall they buy.

The planes are data-independent (no centring, no training), so stored codes never go
stale as the ticket mix changes. They must never change silently either: changing any
constant below requires recomputing every row's codes from its stored vector.
"""

import itertools

import numpy as np
import numpy.typing as npt

DIM = 384
BANDS = 32
BITS = 14
PROBE_BITS = 5
MAX_FLIPS = 2
SEED = 20_261_121

BAND_COLUMNS = tuple(f"band_{band:02d}" for band in range(BANDS))

Vectors = npt.NDArray[np.float32]


class Hasher:
    """One LSH configuration. The app uses HASHER; the benchmark compares others."""

    def __init__(
        self, bands: int, bits: int, probe_bits: int, max_flips: int, seed: int = SEED
    ) -> None:
        self.bands, self.bits = bands, bits
        # RandomState, not default_rng: its stream is frozen across NumPy releases, and
        # the stored codes are only valid for these exact planes.
        planes = np.random.RandomState(seed).standard_normal((bands * bits, DIM))
        self._planes = planes.astype(np.float32)
        self._weights = (1 << np.arange(bits)).astype(np.int64)
        self.probe_bits = probe_bits
        # Which of the probe_bits weakest bits each probe flips (the first flips none).
        self._flips = np.array(
            [
                [1 if bit in chosen else 0 for bit in range(probe_bits)]
                for flips in range(max_flips + 1)
                for chosen in itertools.combinations(range(probe_bits), flips)
            ],
            dtype=np.int64,
        )
        self.probes_per_band = len(self._flips)

    def _projections(self, vectors: Vectors) -> npt.NDArray[np.float32]:
        if vectors.ndim != 2 or vectors.shape[1] != DIM:
            raise ValueError(f"expected vectors of shape (n, {DIM}), got {vectors.shape}")
        projected: npt.NDArray[np.float32] = vectors @ self._planes.T
        return projected.reshape(-1, self.bands, self.bits)

    def band_codes(self, vectors: Vectors) -> npt.NDArray[np.int64]:
        """(n, DIM) -> (n, bands): each vector's code in every band, in [0, 2**bits)."""
        codes: npt.NDArray[np.int64] = (self._projections(vectors) > 0).astype(
            np.int64
        ) @ self._weights
        return codes

    def probe_codes(self, vector: Vectors) -> list[list[int]]:
        """(DIM,) -> per band, the distinct codes to look up: the vector's own code first."""
        projections = self._projections(vector.reshape(1, DIM))[0]
        codes = (projections > 0).astype(np.int64) @ self._weights
        weakest = np.argsort(np.abs(projections), axis=1, kind="stable")[:, : self.probe_bits]
        masks = (np.int64(1) << weakest.astype(np.int64)) @ self._flips.T  # (bands, probes)
        probes = codes[:, None] ^ masks
        return [list(dict.fromkeys(int(code) for code in band)) for band in probes]

    def candidate_mask(
        self, stored: npt.NDArray[np.int64], vector: Vectors
    ) -> npt.NDArray[np.bool_]:
        """Which rows of `stored` (n, bands) codes a query fetches: the rule the SQL lookup
        applies, for the benchmark and the tests."""
        hit = np.zeros(len(stored), dtype=bool)
        for band, codes in enumerate(self.probe_codes(vector)):
            hit |= np.isin(stored[:, band], codes)
        return hit


HASHER = Hasher(BANDS, BITS, PROBE_BITS, MAX_FLIPS)
band_codes = HASHER.band_codes
probe_codes = HASHER.probe_codes
candidate_mask = HASHER.candidate_mask


def to_bytes(vector: npt.NDArray[np.float32]) -> bytes:
    return np.ascontiguousarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> npt.NDArray[np.float32]:
    return np.frombuffer(data, dtype="<f4").astype(np.float32)
