package dev.warden.model;

/** A position in a source's binary log, for servers or moments without GTIDs. */
public record BinlogCoordinates(String file, long position) {

    public static BinlogCoordinates orNull(String file, long position) {
        return file == null || file.isBlank() ? null : new BinlogCoordinates(file, position);
    }

    @Override
    public String toString() {
        return file + ":" + position;
    }
}
