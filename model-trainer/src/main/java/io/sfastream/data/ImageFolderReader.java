package io.sfastream.data;

import io.sfastream.data.webvision.ImageDecodeException;
import io.sfastream.data.webvision.RgbDecoder;
import io.sfastream.data.webvision.RgbImage;
import io.sfastream.data.webvision.RgbImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder of class sub-folders of images ({@code root/<class name>/<image file>}, the layout of
 * torchvision's {@code ImageFolder}) read into an {@link ImageSet}: class {@code k} is the k-th
 * sub-folder in name order and is called by its folder name; the images of a class are in file name
 * order. Every file is decoded with ImageIO ({@link RgbDecoder}: PNG, JPEG, BMP, GIF, …), resized
 * to {@code size × size} (PIL bilinear, aspect ratio not kept) and kept as grey or RGB. Files no
 * decoder reads (a README, a corrupt image) are left out and listed in {@link Result#skipped()};
 * hidden files and folders (names starting with a dot) are ignored.
 */
public final class ImageFolderReader {
    private ImageFolderReader() {}

    /**
     * @param images the decoded images
     * @param skipped one line per file left out: its path and why
     */
    public record Result(ImageSet images, List<String> skipped) {}

    /**
     * @param name the {@link ImageSet#name()} of the result
     * @param size side of the square images
     * @param channels 1 (grey) or 3 (RGB)
     * @throws DatasetException when {@code root} is not a readable folder, has no class folder, or
     *     no image could be read
     */
    public static Result read(Path root, String name, int size, int channels)
            throws DatasetException {
        if (size < 1) {
            throw new IllegalArgumentException("image size must be >= 1, got " + size);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (!Files.isDirectory(root)) {
            throw new DatasetException(
                    Files.exists(root) ? root + ": not a folder" : "missing folder " + root);
        }
        List<Path> classes = list(root).stream().filter(Files::isDirectory).toList();
        if (classes.isEmpty()) {
            throw new DatasetException(
                    root + ": no class sub-folders (expected root/<class name>/<images>)");
        }
        List<String> classNames = new ArrayList<>();
        List<byte[]> pixels = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int k = 0; k < classes.size(); k++) {
            Path folder = classes.get(k);
            classNames.add(folder.getFileName().toString());
            for (Path file : list(folder)) {
                if (!Files.isRegularFile(file)) {
                    skipped.add(file + ": not a regular file");
                    continue;
                }
                try {
                    RgbImage image = RgbImages.resize(RgbDecoder.decode(file), size, size);
                    pixels.add(RgbImages.toBytes(image, channels));
                    labels.add(k);
                } catch (ImageDecodeException e) {
                    skipped.add(file + ": " + e.getMessage());
                }
            }
        }
        if (pixels.isEmpty()) {
            throw new DatasetException(
                    root + ": no readable image in the " + classes.size() + " class folders");
        }
        ImageSet set =
                new ImageSet(
                        name,
                        size,
                        size,
                        channels,
                        pixels.toArray(new byte[0][]),
                        labels.stream().mapToInt(Integer::intValue).toArray(),
                        classNames);
        return new Result(set, List.copyOf(skipped));
    }

    /** The entries of {@code dir} in name order, hidden ones left out. */
    private static List<Path> list(Path dir) throws DatasetException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new DatasetException(dir + ": cannot list (" + e + ")", e);
        }
    }
}
