// SPDX-License-Identifier: ISC
// Conformance form: Gson's toJson of a map and of an object that hold
// the value, in its default (HTML-safe) escaping: = ' < > & as \u003d,
// \u0027, \u003c, \u003e, \u0026; and of its bytes (a byte[]: signed,
// joined by ",").
import com.google.gson.Gson;
import java.nio.charset.StandardCharsets;
import java.util.Map;

public class FormsGson
{
	static class Login
	{
		String user = "app";
		String password;

		Login(String password)
		{
			this.password = password;
		}
	}

	public static void main(String[] args)
	{
		Gson gson = new Gson();

		System.out.println("FORMS-MARKER gson");
		for (String name : System.getenv("FORMS_NAMES").split(",")) {
			String value = System.getenv(name);
			System.out.println(
			    name + ": " +
			    gson.toJson(Map.of("password", value)));
			System.out.println(name + ": " +
			                   gson.toJson(new Login(value)));
			System.out.println(name + ": " +
			                   gson.toJson(value.getBytes(
			                       StandardCharsets.UTF_8)));
		}
	}
}
