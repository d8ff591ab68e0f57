import java.time.Duration;

/**
 * Runs the checks of Checks.java through the generated Java SDK, on the main thread, with a
 * 30-second timeout.
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the checks.
     *
     * @param args not used
     * @throws Exception if a call fails
     */
    public static void main(String[] args) throws Exception {
        Checks.run(Checks.builder().timeout(Duration.ofSeconds(30)).build(), "java");
    }
}
