package io.sfastream.pipeline.report;

import io.sfastream.schemas.Image;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A grid of images with a caption under each: what a person looks at to act on the suspected label
 * errors. One row per class, one column per rank.
 */
public final class ContactSheet {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** One cell: the image (null when it could not be found or decoded) and its caption lines. */
    public record Cell(BufferedImage image, List<String> caption) {}

    private static final int TILE = 84;
    private static final int CAPTION_LINE = 12;

    private ContactSheet() {}

    /** Writes the rows (each a list of cells) as one PNG with the row titles on the left. */
    public static Path write(List<String> rowTitles, List<List<Cell>> rows, String title, Path file)
            throws IOException {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int captionLines = 3;
        int cellW = TILE + 36;
        int cellH = TILE + captionLines * CAPTION_LINE + 8;
        int left = 110;
        int top = 28;
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 13);
        int titleWidth =
                new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB)
                        .createGraphics()
                        .getFontMetrics(titleFont)
                        .stringWidth(title);
        int w = Math.max(left + Math.max(1, columns) * cellW + 8, titleWidth + 16);
        int h = top + Math.max(1, rows.size()) * cellH + 8;
        BufferedImage sheet = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION,
                    RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.BLACK);
            g.setFont(titleFont);
            g.drawString(title, 8, 18);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            for (int r = 0; r < rows.size(); r++) {
                int y0 = top + r * cellH;
                g.setColor(Color.BLACK);
                g.drawString(rowTitles.get(r), 6, y0 + TILE / 2);
                for (int c = 0; c < rows.get(r).size(); c++) {
                    Cell cell = rows.get(r).get(c);
                    int x0 = left + c * cellW;
                    if (cell.image() != null) {
                        g.drawImage(cell.image(), x0, y0, TILE, TILE, null);
                    } else {
                        g.setColor(Color.LIGHT_GRAY);
                        g.fillRect(x0, y0, TILE, TILE);
                        g.setColor(Color.DARK_GRAY);
                        g.drawString("no image", x0 + 18, y0 + TILE / 2);
                    }
                    g.setColor(Color.BLACK);
                    for (int l = 0; l < cell.caption().size() && l < captionLines; l++) {
                        g.drawString(cell.caption().get(l), x0, y0 + TILE + (l + 1) * CAPTION_LINE);
                    }
                }
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(sheet, "png", file.toFile());
        return file;
    }

    /** The sample's image as a picture; null when its encoding cannot be read. */
    public static BufferedImage toPicture(Image image) {
        ByteBuffer data = image.getData().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        try {
            switch (image.getEncoding()) {
                case PNG, JPEG -> {
                    return ImageIO.read(new ByteArrayInputStream(bytes));
                }
                case RAW_GRAY, RAW_RGB -> {
                    int w = image.getWidth();
                    int h = image.getHeight();
                    int ch = image.getChannels();
                    if ((long) w * h * ch != bytes.length || (ch != 1 && ch != 3)) {
                        return null;
                    }
                    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            int i = (y * w + x) * ch;
                            int r = bytes[i] & 0xff;
                            int gr = ch == 3 ? bytes[i + 1] & 0xff : r;
                            int b = ch == 3 ? bytes[i + 2] & 0xff : r;
                            out.setRGB(x, y, (r << 16) | (gr << 8) | b);
                        }
                    }
                    return out;
                }
                default -> {
                    return null;
                }
            }
        } catch (IOException e) {
            return null;
        }
    }
}
