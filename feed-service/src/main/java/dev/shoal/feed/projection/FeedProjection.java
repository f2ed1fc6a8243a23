package dev.shoal.feed.projection;

import java.util.List;

import jakarta.inject.Inject;

import dev.shoal.platform.projection.ProjectedEvent;
import dev.shoal.platform.projection.Projection;

/** A projection feed-service reads from: each batch it commits moves the {@link ReadGeneration} readers cache by. */
public abstract class FeedProjection implements Projection {
    @Inject
    ReadGeneration generation;

    @Override
    public void committed(List<ProjectedEvent> events) {
        generation.advance();
    }
}
