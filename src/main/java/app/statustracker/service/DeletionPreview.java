package app.statustracker.service;

import java.util.List;

import app.statustracker.DeletionStep;
import app.statustracker.MediaType;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What deleting a request would do, service by service, before anything is deleted (the confirmation dialog).
 *
 * @param deletionSyncEnabled {@code ENABLE_DELETION_SYNC}: when false every service shows {@code skipped}
 * @param deleteFilesDefault  what the dialog should preselect (files are deleted unless the admin says otherwise)
 * @param services            each service's status as the deletion would start it: pending, not_applicable,
 *                            not_needed or skipped, with the reason
 */
@RegisterForReflection
public record DeletionPreview(long requestId, String title, MediaType mediaType, boolean deletionSyncEnabled,
        boolean deleteFilesDefault, List<Service> services) {

    @RegisterForReflection
    public record Service(DeletionStep.Service service, DeletionStep.Status status, String details) {
    }
}
