package dev.shoal.platform.write;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the {@link EventWriter} runs commands ({@code shoal.write.*}). */
@ConfigMapping(prefix = "shoal.write")
public interface WriteConfig {
    /** Group commit, for the write models that allow it ({@link WriteModel#groupCommit()}). */
    GroupCommitConfig groupCommit();

    interface GroupCommitConfig {
        /**
         * The most commands one transaction runs. Commands queue only while {@link #maxTransactions()} are in
         * flight, so under light load every transaction holds one command and waits for nothing.
         */
        @WithDefault("64")
        int maxCommands();

        /** How many of one write model's group transactions run at once (each holds a pooled connection). */
        @WithDefault("4")
        int maxTransactions();
    }
}
