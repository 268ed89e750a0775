package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing 'show servers state' as HAProxy 2.6 prints it (captured from the real one). */
class HaproxyStateTest {

    static final String HEADER = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight "
            + "srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state "
            + "srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port "
            + "srv_check_addr srv_agent_addr srv_agent_port\n";

    @Test
    void readsMaintenanceFromAdminAndOperationalState() {
        List<HaproxyClient.ServerState> s = HaproxyClient.parseServersState(HEADER
                + "3 b 1 s0 127.0.0.1 0 5 1 1 1 1 0 0 8 0 0 0 - 3306 - 0 0 - - 0\n"   // disabled in the config
                + "3 b 2 s1 127.0.0.1 2 4 1 1 0 1 0 0 8 0 0 0 - 3307 - 0 0 - - 0\n"   // disabled, then 'state ready'
                + "3 b 3 s2 127.0.0.1 0 1 7 7 0 1 0 0 0 0 0 0 - 3308 - 0 0 - - 0\n"   // 'state maint'
                + "3 b 4 s3 127.0.0.1 2 0 100 1 1 1 0 2 0 0 0 0 - 3309 - 0 0 - - 0\n");
        assertThat(s).extracting(x -> x.name() + " " + x.address().port() + " " + x.maintenance() + " " + x.weight())
                .containsExactly("s0 3306 true 1", "s1 3307 false 1", "s2 3308 true 7", "s3 3309 false 100");
    }
}
