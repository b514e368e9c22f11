package dev.idsync.console;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Renders a {@link PageException} as the error page, with the API's own status and problem. */
public class PageExceptionMapper {

    private final Pages pages;

    PageExceptionMapper(Pages pages) {
        this.pages = pages;
    }

    @ServerExceptionMapper
    public Response map(PageException e) {
        return pages.errorPage(e.result());
    }
}
