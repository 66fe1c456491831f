"""Speech: audio sources, the whisper transcriber, dictation, transcripts and voice notes."""
