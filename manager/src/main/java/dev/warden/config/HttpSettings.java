package dev.warden.config;

/** Where the console and API listen. */
public record HttpSettings(String host, int port) {

    public static final HttpSettings DEFAULTS = new HttpSettings("127.0.0.1", 8080);

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
