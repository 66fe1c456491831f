"""The language model: the llama.cpp engine, sampling per task, stopping repeats, and the engine per role."""
