import com.example.petstore.PetstoreClient;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs the checks of ../java/Checks.java through the generated Android SDK, with a 30-second
 * timeout. As an app must, it calls the client from a background thread, not the main one. It is
 * compiled for Java 8, as the SDK is.
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the checks on a worker thread and waits for them.
     *
     * @param args not used
     * @throws Exception if a call fails
     */
    public static void main(String[] args) throws Exception {
        final PetstoreClient client = Checks.builder().timeoutMillis(30_000).build();
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            background.submit(() -> {
                Checks.run(client, "android");
                return null;
            }).get();
        } catch (ExecutionException e) {
            System.out.println("FAIL " + e.getCause());
            System.exit(1);
        } finally {
            background.shutdown();
        }
    }
}
