package dev.warden.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void aListeningPortIsBusy() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(Ports.isFree(s.getLocalPort())).isFalse();
        }
    }

    /** The server side closes first, so its end of the connection lingers in TIME_WAIT on the port. */
    @Test
    void aPortHeldOnlyByTimeWaitConnectionsIsFree() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = s.getLocalPort();
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                Socket accepted = s.accept();
                accepted.close();
                assertThat(client.getInputStream().read()).isEqualTo(-1);
            }
        }
        assertThat(Ports.isFree(port)).as("only TIME_WAIT on " + port).isTrue();
    }
}
