package dev.warden.cli;

public final class WardenCommand {
    public static void main(String[] args) {
    }
}
