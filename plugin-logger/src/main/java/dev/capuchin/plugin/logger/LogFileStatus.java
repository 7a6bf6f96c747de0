package dev.capuchin.plugin.logger;

/**
 * One log file and its counters since start.
 *
 * @param path the file's absolute path, or {@code stdout}
 * @param lines lines written
 * @param bytes bytes written
 * @param dropped lines dropped because the buffer was full or the file not writable
 * @param pending lines waiting in the buffer
 * @param rotations rotations since start
 */
public record LogFileStatus(String path, long lines, long bytes, long dropped, int pending, long rotations) {

}
