package app.statustracker.rest;

import app.statustracker.auth.Roles;
import app.statustracker.health.SetupDoctor;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The setup doctor's findings (read like the rest of the dashboard) and an admin's "run the checks now". */
@Path("/api/doctor")
@Produces(MediaType.APPLICATION_JSON)
public class DoctorResource {

    private final SetupDoctor doctor;

    public DoctorResource(SetupDoctor doctor) {
        this.doctor = doctor;
    }

    @GET
    public SetupDoctor.Report latest() {
        return doctor.latest();
    }

    @POST
    @Path("/run")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.ADMIN)
    public Uni<SetupDoctor.Report> run() {
        return doctor.run();
    }
}
