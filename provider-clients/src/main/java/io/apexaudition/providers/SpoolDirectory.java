package io.apexaudition.providers;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The directory this process spools batch uploads into ({@link BatchSpool}): {@code apex-spool-*} in the temporary
 * directory, made on first use and claimed by a lock on its owner file for as long as the process lives. A
 * dispatcher killed during a call leaves its spool behind (up to a batch, tens of megabytes, on an {@code emptyDir}
 * that outlives a container restart, so a crash loop would fill it); the first spool of the next process deletes
 * every sibling whose owner lock it can take, that is whose process is gone, whatever stopped it. The owner file is
 * opened once and never again by its process: POSIX drops all of a process's locks on a file when any descriptor of
 * that file is closed, which is why the spooled files themselves carry no lock.
 */
final class SpoolDirectory {
    private static final Logger LOG = Logger.getLogger(SpoolDirectory.class);
    static final String PREFIX = "apex-spool-";
    static final String OWNER = "owner.lock";
    /** A sibling younger than this is left alone: its process may not have taken its lock yet. */
    static final Duration GRACE = Duration.ofMinutes(1);

    private static final Map<Path, SpoolDirectory> BY_BASE = new ConcurrentHashMap<>();

    private final Path directory;
    /** Held open, never closed: the lock lasts as long as the process. */
    private final FileChannel owner;

    private SpoolDirectory(Path directory, FileChannel owner) {
        this.directory = directory;
        this.owner = owner;
    }

    /**
     * This process's spool directory in {@code base}, made (and its dead siblings swept) on first use, and made again
     * if something deleted it since.
     */
    static Path in(Path base) {
        // one key per directory, whatever path reaches it: a second spool directory of this process under an alias
        // would have its sweep open this process's own owner file, and closing that drops the lock (see above)
        Path key = realPath(base);
        SpoolDirectory current = BY_BASE.get(key);
        if (current != null && current.intact()) {
            return current.directory;
        }
        synchronized (BY_BASE) {
            current = BY_BASE.get(key);
            if (current == null || !current.intact()) {
                if (current != null) {
                    closeQuietly(current.owner);
                }
                current = create(key);
                BY_BASE.put(key, current);
                sweep(key, current.directory, GRACE);
            }
            return current.directory;
        }
    }

    /**
     * Whether the directory and its owner file are still there: something that deleted either (a /tmp cleaner) left a
     * spool that another process's sweep would take for a dead one's.
     */
    private boolean intact() {
        return Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
                && Files.exists(directory.resolve(OWNER), LinkOption.NOFOLLOW_LINKS);
    }

    private static Path realPath(Path base) {
        try {
            return base.toRealPath();
        } catch (IOException e) {
            // not there: making the directory in it fails and says so
            return base.toAbsolutePath().normalize();
        }
    }

    private static SpoolDirectory create(Path base) {
        Path directory = null;
        FileChannel owner = null;
        try {
            // made readable by this user only, as the spooled bodies are
            directory = Files.createTempDirectory(base, PREFIX);
            owner = FileChannel.open(directory.resolve(OWNER), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            owner.lock();
            // no shutdown hook deletes it: hooks run beside the service's own shutdown, and would delete the spools
            // of calls still under way. The next process's sweep takes it, as it takes a killed one's
            return new SpoolDirectory(directory, owner);
        } catch (IOException e) {
            if (owner != null) {
                closeQuietly(owner);
            }
            if (directory != null) {
                deleteTree(directory);
            }
            throw new UncheckedIOException("cannot make a spool directory in " + base + " (" + e + ")", e);
        }
    }

    /**
     * Deletes each {@code apex-spool-*} directory in {@code base} but {@code own} whose owner lock is free (its
     * process is gone), or that has no owner file, once it is older than {@code grace}. Returns how many it deleted.
     * Never throws: a spool it cannot judge or delete is left for the next sweep.
     */
    static int sweep(Path base, Path own, Duration grace) {
        int deleted = 0;
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(base, PREFIX + "*")) {
            for (Path sibling : siblings) {
                try {
                    // this process's own are never opened: closing a second descriptor of an owner file would drop
                    // this process's lock on it
                    if (sibling.equals(own) || ownedHere(sibling)
                            || !Files.isDirectory(sibling, LinkOption.NOFOLLOW_LINKS) || youngerThan(sibling, grace)
                            || !ownerGone(sibling)) {
                        continue;
                    }
                    deleteTree(sibling);
                    deleted++;
                    LOG.infof("Deleted %s: a batch spool left by a dispatcher that is gone", sibling);
                } catch (IOException | RuntimeException e) {
                    // another user's, or one a parallel sweep deleted first: the others are still judged
                    LOG.debugf("Spool %s left alone: %s", sibling, e);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Spools left by stopped dispatchers could not be swept from %s (%s); they stay until the next "
                    + "start, or delete its apex-spool-* directories whose process is gone by hand", base, e);
        }
        return deleted;
    }

    /** Both are paths under a real base ({@link #in}), so one directory has one path here. */
    private static boolean ownedHere(Path sibling) {
        return BY_BASE.values().stream().anyMatch(mine -> mine.directory.equals(sibling));
    }

    private static boolean ownerGone(Path sibling) throws IOException {
        try (FileChannel channel = FileChannel.open(sibling.resolve(OWNER), StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            // a free lock: its process is gone (the kernel drops a process's locks when it dies), and a dead process
            // does not come back for it, so the lock can go with the channel before the tree is deleted
            return lock != null;
        } catch (NoSuchFileException e) {
            // killed between making its directory and its owner file
            return true;
        } catch (OverlappingFileLockException e) {
            // held in this process after all (ownedHere should have said so): left alone
            return false;
        }
    }

    private static boolean youngerThan(Path path, Duration age) throws IOException {
        Instant modified = Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant();
        return modified.isAfter(Instant.now().minus(age));
    }

    private static void deleteTree(Path directory) {
        try {
            // links are deleted, never followed
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        // another process sweeping the same spool got there first
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warnf("A batch spool could not be deleted (%s): delete %s by hand", e, directory);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debugf("closing a spool's owner file: %s", e);
        }
    }
}
