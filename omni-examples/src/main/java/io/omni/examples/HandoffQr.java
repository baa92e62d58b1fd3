package io.omni.examples;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The QR code a customer shows at the till: a cart hand-off token encoded with ZXing, drawn in the
 * terminal with Unicode half blocks (two rows of modules per line of text) and written as a PNG.
 *
 * <p>The PNG is written with {@code javax.imageio} from the {@link BitMatrix}, so only ZXing's
 * {@code core} artifact is needed.
 */
public final class HandoffQr {
  /** Modules of light margin around the code; scanners want a quiet zone. */
  private static final int QUIET_ZONE = 2;
  /** Pixels per module in the PNG. */
  private static final int PNG_SCALE = 8;

  private final BitMatrix matrix;

  private HandoffQr(BitMatrix matrix) {
    this.matrix = matrix;
  }

  /** Encodes a token (or any text) as a QR code. */
  public static HandoffQr encode(String text) {
    try {
      // Size 0 asks ZXing for the smallest matrix, one bit per module; we scale ourselves.
      BitMatrix matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
          Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, QUIET_ZONE));
      return new HandoffQr(matrix);
    } catch (WriterException e) {
      throw new IllegalArgumentException("cannot encode a QR code of " + text.length() + " characters", e);
    }
  }

  /** Modules per side, the quiet zone included. */
  public int size() {
    return matrix.getWidth();
  }

  /** Whether the module at (x, y) is dark. */
  public boolean dark(int x, int y) {
    return matrix.get(x, y);
  }

  /**
   * The code as text for a terminal with a dark background: light modules are drawn, dark ones
   * left blank, so that phones scan it off the screen. Each line holds two rows of modules.
   */
  public String toTerminal() {
    StringBuilder out = new StringBuilder();
    int size = size();
    for (int y = 0; y < size; y += 2) {
      for (int x = 0; x < size; x++) {
        boolean upperLight = !matrix.get(x, y);
        boolean lowerLight = y + 1 >= size || !matrix.get(x, y + 1);
        out.append(upperLight ? (lowerLight ? '█' : '▀') : (lowerLight ? '▄' : ' '));
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** Writes the code as a black-on-white PNG and answers the path. */
  public Path writePng(Path file) {
    int size = size();
    BufferedImage image = new BufferedImage(size * PNG_SCALE, size * PNG_SCALE, BufferedImage.TYPE_BYTE_BINARY);
    for (int y = 0; y < size * PNG_SCALE; y++) {
      for (int x = 0; x < size * PNG_SCALE; x++) {
        image.setRGB(x, y, matrix.get(x / PNG_SCALE, y / PNG_SCALE) ? 0x000000 : 0xFFFFFF);
      }
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      ImageIO.write(image, "png", file.toFile());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the QR code to " + file, e);
    }
  }
}
