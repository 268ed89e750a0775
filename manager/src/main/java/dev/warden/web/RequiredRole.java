package dev.warden.web;

import dev.warden.auth.Role;
import io.javalin.security.RouteRole;

/** What a route needs: nothing (PUBLIC) or at least a role. */
enum RequiredRole implements RouteRole {
    PUBLIC(null),
    VIEWER(Role.VIEWER),
    OPERATOR(Role.OPERATOR),
    ADMIN(Role.ADMIN);

    final Role role;

    RequiredRole(Role role) {
        this.role = role;
    }
}
