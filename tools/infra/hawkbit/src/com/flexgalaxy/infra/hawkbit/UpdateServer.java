package com.flexgalaxy.infra.hawkbit;

import org.eclipse.hawkbit.autoconfigure.security.EnableHawkbitManagedSecurityConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The hawkBit update server: hawkBit's auto-configuration (repository on JPA/H2, DDI and Management
 * REST resources, artifact store on the file system) with its managed security (basic auth for the
 * Management API, target/gateway tokens for DDI).
 */
@SpringBootApplication
@EnableHawkbitManagedSecurityConfiguration
public class UpdateServer {
    public static void main(String[] args) {
        SpringApplication.run(UpdateServer.class, args);
    }
}
