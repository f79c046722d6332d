// SPDX-License-Identifier: ISC
// Conformance form: Java's URLEncoder, Arrays.toString of a byte[] (signed
// bytes) and Properties.store (\: \= \! and u-escapes), to an
// OutputStream and to a Writer.
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;

public class FormsJava {
	public static void main(String[] args) throws Exception {
		System.out.println("FORMS-MARKER java");
		for (String name : System.getenv("FORMS_NAMES").split(",")) {
			String value = System.getenv(name);
			System.out.println(name + ": " + URLEncoder.encode(value, StandardCharsets.UTF_8));
			// a byte[] as Java prints it: signed, -61 for 0xc3
			System.out.println(Arrays.toString(value.getBytes(StandardCharsets.UTF_8)));
			System.out.println(name + ": " + Arrays.toString(value.getBytes(StandardCharsets.UTF_8)));
			Properties p = new Properties();
			p.setProperty("key", value);
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			p.store(bytes, null);
			System.out.print(bytes.toString(StandardCharsets.ISO_8859_1));
			StringWriter text = new StringWriter();
			p.store(text, null);
			System.out.print(text);
		}
	}
}
