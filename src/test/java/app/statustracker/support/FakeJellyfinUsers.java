package app.statustracker.support;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;

/**
 * Jellyfin's login routes as Jellyfin 10.10 answers them: {@code POST /Users/AuthenticateByName} (body
 * {@code {"Username","Pw"}}, an AuthenticationResult with {@code User} and {@code AccessToken}), {@code GET /Users/Me}
 * (the UserDto of the token in the {@code MediaBrowser Token="..."} header, 401 otherwise) and
 * {@code POST /Sessions/Logout} (revokes the token, 204). Three accounts: an administrator, a viewer, and a viewer
 * that a test may list in ADMIN_USER_IDS.
 */
public final class FakeJellyfinUsers {

    public record Account(String id, String name, String password, boolean administrator) {
    }

    public static final Account ADMIN = new Account("a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "jf-admin", "Adm1n-pass-7731", true);
    public static final Account VIEWER = new Account("b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2", "couch", "c0uch-pass-9942", false);
    public static final Account LISTED = new Account("c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3", "helper", "h3lper-pass-5513", false);
    private static final List<Account> ACCOUNTS = List.of(ADMIN, VIEWER, LISTED);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("Token=\"([^\"]*)\"");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Issued tokens → account id. */
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    /** Every token ever issued (also revoked ones), for the "never leaves" checks. */
    public static final List<String> ISSUED = new CopyOnWriteArrayList<>();
    /** Device ids of the logins, in order. */
    public static final List<String> DEVICE_IDS = new CopyOnWriteArrayList<>();
    private static final AtomicInteger ME_CALLS = new AtomicInteger();
    private static final AtomicInteger LOGINS = new AtomicInteger();

    private FakeJellyfinUsers() {
    }

    static void reset() {
        TOKENS.clear();
        DEVICE_IDS.clear();
        ME_CALLS.set(0);
        LOGINS.set(0);
    }

    /** How often a token was checked with {@code GET /Users/Me}. */
    public static int meCalls() {
        return ME_CALLS.get();
    }

    /** How often {@code AuthenticateByName} was called. */
    public static int logins() {
        return LOGINS.get();
    }

    /** A token issued for an account without going through the tracker (what a script would hold). */
    public static String issueToken(Account account) {
        String token = HexFormat.of().formatHex(RANDOM.generateSeed(16));
        TOKENS.put(token, account.id());
        ISSUED.add(token);
        return token;
    }

    /** Whether Jellyfin still accepts a token. */
    public static boolean valid(String token) {
        return TOKENS.containsKey(token);
    }

    static FakeArr.Failure answer(String method, String path, Headers headers, String body) {
        String authorization = headers.getFirst("Authorization");
        if (method.equals("POST") && path.equals("/Users/AuthenticateByName")) {
            LOGINS.incrementAndGet();
            Matcher device = Pattern.compile("DeviceId=\"([^\"]*)\"").matcher(authorization == null ? "" : authorization);
            if (!device.find()) {
                return new FakeArr.Failure(400, JSON.createObjectNode().put("message", "no DeviceId"));
            }
            DEVICE_IDS.add(device.group(1));
            JsonNode credentials;
            try {
                credentials = JSON.readTree(body);
            } catch (java.io.IOException e) {
                return new FakeArr.Failure(400, null);
            }
            String name = credentials.path("Username").asText("");
            String password = credentials.path("Pw").asText("");
            Account account = ACCOUNTS.stream().filter(a -> a.name().equalsIgnoreCase(name)
                    && a.password().equals(password)).findFirst().orElse(null);
            if (account == null) {
                return new FakeArr.Failure(401, JSON.createObjectNode().put("message", "Invalid username or password entered."));
            }
            ObjectNode result = JSON.createObjectNode();
            result.set("User", user(account));
            result.putObject("SessionInfo").put("DeviceId", device.group(1));
            result.put("AccessToken", issueToken(account));
            result.put("ServerId", "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0");
            return new FakeArr.Failure(200, result);
        }
        String token = null;
        Matcher m = TOKEN.matcher(authorization == null ? "" : authorization);
        if (m.find()) {
            token = m.group(1);
        }
        String accountId = token == null ? null : TOKENS.get(token);
        if (method.equals("GET") && path.equals("/Users/Me")) {
            ME_CALLS.incrementAndGet();
            if (accountId == null) {
                return new FakeArr.Failure(401, null);
            }
            return new FakeArr.Failure(200, user(ACCOUNTS.stream().filter(a -> a.id().equals(accountId)).findFirst()
                    .orElseThrow()));
        }
        if (method.equals("POST") && path.equals("/Sessions/Logout")) {
            if (accountId == null) {
                return new FakeArr.Failure(401, null);
            }
            TOKENS.remove(token);
            return new FakeArr.Failure(204, null);
        }
        return new FakeArr.Failure(404, null);
    }

    private static ObjectNode user(Account account) {
        ObjectNode user = JSON.createObjectNode().put("Name", account.name()).put("ServerId", "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0")
                .put("Id", account.id()).put("HasPassword", true);
        user.putObject("Policy").put("IsAdministrator", account.administrator()).put("IsDisabled", false)
                .put("EnableContentDeletion", account.administrator());
        return user;
    }
}
