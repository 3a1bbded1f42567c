package io.taskq.examples;

import io.taskq.Chain;
import io.taskq.Group;
import io.taskq.GroupFailedException;
import io.taskq.GroupHandle;
import io.taskq.Signature;
import io.taskq.Task;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups (docs/workflows.md): thumbnails made in parallel with their results in submit order; a group of chains;
 * a group where one member fails, reported with the others' results.
 */
public final class GroupExample {
    private GroupExample() {
    }

    /** The tasks. */
    public static class Images {
        /** Makes a thumbnail; a missing image fails. */
        @Task(name = "images.thumbnail", maxRetries = 0)
        public String thumbnail(String image) {
            if (image.startsWith("missing")) {
                throw new IllegalArgumentException("no such image: " + image);
            }
            return image + ".thumb";
        }

        /** Uploads a file; the file comes from the step before. */
        @Task(name = "images.upload")
        public String upload(String bucket, String file) {
            return bucket + "/" + file;
        }
    }

    /** Runs the example. */
    public static void main(String[] args) {
        Duration wait = Duration.ofSeconds(20);
        try (Taskq taskq = ExampleEnvironment.taskqBuilder().tasks(new Images()).build()) {
            taskq.startWorker(WorkerOptions.builder().concurrency(4).build());

            List<TaskRequest<String>> thumbnails = new ArrayList<>();
            for (String image : List.of("a.png", "b.png", "c.png")) {
                thumbnails.add(TaskRequest.of(Images::thumbnail, image));
            }
            GroupHandle<String> h = taskq.submit(Group.of(thumbnails));
            System.out.println("thumbnails: " + h.get(wait));

            List<Chain<String>> uploads = new ArrayList<>();
            for (String image : List.of("d.png", "e.png")) {
                uploads.add(Chain.of(TaskRequest.of(Images::thumbnail, image))
                        .then(Signature.of(Images::upload, "s3://thumbs")));
            }
            System.out.println("uploaded: " + taskq.submit(Group.ofChains(uploads)).get(wait));

            GroupHandle<String> partly = taskq.submit(Group.of(TaskRequest.of(Images::thumbnail, "f.png"),
                    TaskRequest.of(Images::thumbnail, "missing.png")));
            try {
                partly.get(wait);
            } catch (GroupFailedException e) {
                System.out.println("partial: " + e.results() + ", failed members " + e.failures().keySet()
                        + ", states " + partly.states());
            }
        }
    }
}
