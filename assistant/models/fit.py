"""Hardware-aware defaults: threads from physical cores, a context window fitted to free RAM, a warning
before loading a model that will not fit, and GPU offload only where this llama.cpp build supports it."""

from __future__ import annotations

from assistant.machine import available_ram, physical_cores
from assistant.models.gguf_info import GgufInfo

#: Context sizes tried by the automatic fit, largest first. Beyond 4,096 tokens a CPU spends a minute or more
#: reading a full prompt before the first word, so the automatic choice stops there; a user may set more.
AUTO_CONTEXTS = (4096, 2048, 1024)
#: Share of the free RAM a model may take, leaving room for the app, the OS and the document.
RAM_SHARE = 0.8


def default_threads(setting: int = 0) -> int:
    return setting if setting > 0 else physical_cores()


def threads_beside(busy: float, most: int, cores: int | None = None) -> int:
    """Threads for the next request when other programs keep ``busy`` physical cores working: one per core
    they leave free, at least 1, at most ``most``.

    llama.cpp's threads wait for each other at every step of the compute graph by spinning; a thread that
    shares its core with another busy program stalls all the others. Measured on two cores beside a test
    suite and three benchmarks: a one-page summary with two threads had not finished after 10 minutes, with
    one thread it took 2 min 22 s; on an idle machine two threads read a prompt about twice as fast as one.
    """
    return max(1, min(most, (cores or physical_cores()) - round(busy)))


def fitted_context(info: GgufInfo | None, setting: int = 0, free_ram: int | None = None) -> int:
    """The context window to load ``info`` with: the setting if given, else the largest that fits."""
    trained = info.context_length if info is not None and info.context_length else 32768
    if setting > 0:
        return min(setting, trained)
    if info is None:
        return 4096
    free = available_ram() if free_ram is None else free_ram
    for n_ctx in AUTO_CONTEXTS:
        if n_ctx <= trained and info.estimated_ram(n_ctx) <= free * RAM_SHARE:
            return n_ctx
    return min(AUTO_CONTEXTS[-1], trained)


def fit_warning(info: GgufInfo | None, n_ctx: int, free_ram: int | None = None) -> str | None:
    """A sentence for the user when loading ``info`` at ``n_ctx`` would exceed the free RAM, else None."""
    if info is None:
        return None
    free = available_ram() if free_ram is None else free_ram
    need = info.estimated_ram(n_ctx)
    if need <= free:
        return None
    return (
        f"{info.name} needs about {need / 2**30:.1f} GiB of RAM with a {n_ctx:,}-token context, but only "
        f"{free / 2**30:.1f} GiB is free: it may be very slow or fail. Close other programs, lower the "
        "context size, or choose a smaller model."
    )


def gpu_offload_supported() -> bool:
    import llama_cpp

    return bool(llama_cpp.llama_supports_gpu_offload())


def gpu_layers(enabled: bool) -> int:
    """Layers to offload: all of them (-1) when wanted and supported, else none."""
    return -1 if enabled and gpu_offload_supported() else 0
