package io.omni.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class HandoffQrTest {
  private static final String TOKEN = "eyJwIjoicC0xIiwicyI6IjE3NDA5MDYwMDAwMDAtMC1sb2NhbCJ9.q8Xr2m0nBzW5-Ak3V7yT1e9YpLc";

  @Test
  void the_png_scans_back_to_the_token(@TempDir Path dir) throws Exception {
    Path png = HandoffQr.encode(TOKEN).writePng(dir.resolve("qr/handoff.png"));

    BufferedImage image = ImageIO.read(png.toFile());
    int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(
        new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)));
    assertThat(new QRCodeReader().decode(bitmap).getText()).isEqualTo(TOKEN);
  }

  @Test
  void the_terminal_drawing_holds_two_module_rows_per_line() {
    HandoffQr qr = HandoffQr.encode(TOKEN);

    String drawn = qr.toTerminal();

    assertThat(drawn.lines()).hasSize((qr.size() + 1) / 2).allSatisfy(line -> assertThat(line).hasSize(qr.size()));
    assertThat(drawn).contains("█", " ");
  }
}
