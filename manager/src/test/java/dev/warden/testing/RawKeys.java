package dev.warden.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.sandbox.EtcdProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingCluster;

/** Reads and writes one key as a template or an operator would: the store's own client, not Warden's code. */
public final class RawKeys {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String which;
    private final String zkConnect;
    private final String etcd;

    public RawKeys(String which, TestingCluster zk, EtcdProcess etcd) {
        this(which, zk == null ? null : zk.getConnectString(), etcd == null ? null : etcd.endpoint());
    }

    public RawKeys(String which, String zkConnect, String etcdEndpoint) {
        this.which = which;
        this.zkConnect = zkConnect;
        this.etcd = etcdEndpoint;
    }

    public String get(String key) throws Exception {
        if (which.equals("zookeeper")) {
            try (CuratorFramework c = client()) {
                if (c.checkExists().forPath("/" + key) == null) {
                    return null;
                }
                return new String(c.getData().forPath("/" + key), StandardCharsets.UTF_8);
            }
        }
        ObjectNode req = JSON.createObjectNode().put("key", b64(key));
        var kvs = JSON.readTree(post("/v3/kv/range", req.toString())).path("kvs");
        return kvs.size() == 0 ? null : new String(Base64.getDecoder().decode(kvs.get(0).path("value").asText()),
                StandardCharsets.UTF_8);
    }

    public void put(String key, String value) throws Exception {
        if (which.equals("zookeeper")) {
            try (CuratorFramework c = client()) {
                if (c.checkExists().forPath("/" + key) == null) {
                    c.create().creatingParentsIfNeeded().forPath("/" + key, value.getBytes(StandardCharsets.UTF_8));
                } else {
                    c.setData().forPath("/" + key, value.getBytes(StandardCharsets.UTF_8));
                }
            }
            return;
        }
        post("/v3/kv/put", JSON.createObjectNode().put("key", b64(key)).put("value", b64(value)).toString());
    }

    private CuratorFramework client() throws InterruptedException {
        CuratorFramework c = CuratorFrameworkFactory.newClient(zkConnect, 5000, 3000, new RetryOneTime(100));
        c.start();
        c.blockUntilConnected(10, java.util.concurrent.TimeUnit.SECONDS);
        return c;
    }

    /** One request to etcd's JSON gateway (administration: users, roles, auth); returns the answer's body. */
    public String call(String path, String body) throws Exception {
        return post(path, body);
    }

    private String post(String path, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(etcd + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
