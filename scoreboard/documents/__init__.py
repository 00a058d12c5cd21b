"""Official documents drawn as PDF after the event: piagam and the laporan kegiatan (with charts)."""
