package dev.idsync.processor.api;

import java.util.List;

/** One page of a listing and how many items there are in all. */
public record Page<T>(List<T> items, int page, int size, long total) {
}
