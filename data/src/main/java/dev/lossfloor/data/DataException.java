package dev.lossfloor.data;

/** A problem with the user's data or settings; the message is one line that says what to fix. */
public class DataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
