package dev.towerless.core.jobs;

/**
 * Where stdout line {@code bucket × StdoutLines.LINES_PER_MARK} is: in the event with
 * {@code counter}, whose first line is {@code line}. A range of lines is read from the nearest
 * mark before it instead of from the job's first event.
 */
public record LineMark(long bucket, long counter, long line) {
}
