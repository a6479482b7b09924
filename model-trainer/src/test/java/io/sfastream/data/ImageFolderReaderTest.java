package io.sfastream.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {
    @TempDir Path root;

    private void png(String folder, String file, int w, int h, int rgb) throws Exception {
        Path dir = Files.createDirectories(root.resolve(folder));
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        ImageIO.write(img, "png", dir.resolve(file).toFile());
    }

    @Test
    void classesAreTheSortedFoldersAndImagesAreResized() throws Exception {
        png("zebra", "1.png", 40, 20, 0x102030);
        png("ant", "b.png", 16, 16, 0xff0000);
        png("ant", "a.png", 8, 24, 0x00ff00);
        png("moth", "x.png", 5, 5, 0x808080);
        Files.writeString(root.resolve("moth").resolve("notes.txt"), "not an image");
        Files.createDirectories(root.resolve(".cache"));

        ImageFolderReader.Result r = ImageFolderReader.read(root, "my-folder", 8, 3);
        ImageSet s = r.images();
        assertThat(s.name()).isEqualTo("my-folder");
        assertThat(s.classNames()).containsExactly("ant", "moth", "zebra");
        assertThat(s.labels()).containsExactly(0, 0, 1, 2);
        assertThat(s.width()).isEqualTo(8);
        assertThat(s.height()).isEqualTo(8);
        assertThat(s.channels()).isEqualTo(3);
        // a.png (green) before b.png (red); a uniform image stays uniform after the resize
        assertThat(s.pixels()[0]).hasSize(8 * 8 * 3);
        for (int p = 0; p < 64; p++) {
            assertThat(s.pixels()[0][3 * p] & 0xff).isZero();
            assertThat(s.pixels()[0][3 * p + 1] & 0xff).isEqualTo(255);
            assertThat(s.pixels()[1][3 * p] & 0xff).isEqualTo(255);
            assertThat(s.pixels()[3][3 * p + 2] & 0xff).isEqualTo(0x30);
        }
        assertThat(r.skipped()).singleElement().asString().contains("notes.txt");
    }

    @Test
    void greyIsTheLuma() throws Exception {
        png("a", "grey.png", 4, 4, 0x646464);
        png("b", "red.png", 4, 4, 0xff0000);
        ImageSet s = ImageFolderReader.read(root, "g", 2, 1).images();
        assertThat(s.channels()).isEqualTo(1);
        assertThat(s.pixels()[0]).containsOnly((byte) 100);
        assertThat(s.pixels()[1]).containsOnly((byte) Math.round(0.299 * 255));
    }

    @Test
    void aFolderWithoutClassFoldersSaysSo() throws Exception {
        Files.writeString(root.resolve("x.png"), "x");
        assertThatThrownBy(() -> ImageFolderReader.read(root, "n", 8, 3))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("no class sub-folders");
        assertThatThrownBy(() -> ImageFolderReader.read(root.resolve("nope"), "n", 8, 3))
                .hasMessageContaining("missing folder");
    }
}
