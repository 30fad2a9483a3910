package app.statustracker.rest;

import jakarta.ws.rs.core.Response;

/** A 400 whose message is shown to the caller as {@code {"detail": ...}}. */
public class BadRequestException extends jakarta.ws.rs.WebApplicationException {

    public BadRequestException(String message) {
        super(message, Response.Status.BAD_REQUEST);
    }
}
